#include <vector>

namespace linalg {

// A dense row-major matrix of doubles.
class Matrix {
public:
    Matrix(int rows, int cols) : rows_(rows), cols_(cols), data_(rows * cols) {}
    double &at(int r, int c) { return data_[r * cols_ + c]; }
    Matrix multiply(const Matrix &other) const;

private:
    int rows_, cols_;
    std::vector<double> data_;
};

Matrix Matrix::multiply(const Matrix &other) const {
    Matrix out(rows_, other.cols_);
    for (int i = 0; i < rows_; ++i)
        for (int j = 0; j < other.cols_; ++j)
            for (int k = 0; k < cols_; ++k)
                out.data_[i * other.cols_ + j] += data_[i * cols_ + k] * other.data_[k * other.cols_ + j];
    return out;
}

}  // namespace linalg
