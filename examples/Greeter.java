package examples;

/** Builds greetings in one language. */
public class Greeter {
    private final String greeting;

    public Greeter(String greeting) {
        this.greeting = greeting;
    }

    /** Greets someone by name. */
    public String greet(String name) {
        return greeting + ", " + name + "!";
    }
}
