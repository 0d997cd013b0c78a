package examples

// Stack is a last-in, first-out collection of ints.
type Stack struct {
	items []int
}

// Push adds v on top of the stack.
func (s *Stack) Push(v int) {
	s.items = append(s.items, v)
}

func (s *Stack) Pop() (int, bool) {
	if len(s.items) == 0 {
		return 0, false
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, true
}
