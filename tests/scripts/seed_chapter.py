"""The seed chapter's code examples, as written for NumPy, with the module they call swapped.

    python seed_chapter.py numpy        # NumPy itself: the expected output
    python seed_chapter.py xpmath       # the same code on xpmath (its backend from XPMATH_BACKEND)
    python seed_chapter.py xpmath jax   # xpmath, the chapter's arrays made by jax.numpy.asarray

Only the module changes: array creation, printing and NumPy's helpers (round, argmax, allclose)
work on what xpmath returns, whatever the backend.
"""

import sys

import numpy as np

if sys.argv[1:] == ["numpy"]:
    M = np
else:
    import xpmath as M

array = np.array  # the chapter's arrays, or another library's: xpmath computes in that library
if sys.argv[2:] == ["jax"]:
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    def array(data, dtype=None):
        return jnp.asarray(np.asarray(data, dtype=dtype))

# Vectors as NumPy arrays
student_marks = array([85, 90, 78])  # A 3D vector
weights = array([0.4, 0.35, 0.25])  # Weight for each subject
print("Marks:", student_marks)
print("Doubled:", student_marks * 2)
print("Plus 5:", student_marks + 5)
weighted_avg = M.dot(student_marks, weights)
print(f"\nWeighted average: {weighted_avg:.2f}")
print(f"Calculation: 85*0.4 + 90*0.35 + 78*0.25 = {85*0.4 + 90*0.35 + 78*0.25}")
magnitude = M.linalg.norm(student_marks)
print(f"\nMagnitude of marks vector: {magnitude:.2f}")
student_a = array([85, 90, 78])
student_b = array([82, 88, 80])
cosine_sim = M.dot(student_a, student_b) / (M.linalg.norm(student_a) * M.linalg.norm(student_b))
print(f"Cosine similarity between students: {cosine_sim:.4f}")

X = array([
    [2, 50],
    [5, 80],
    [8, 95],
])
print("Data matrix X (3 students x 2 features):")
print(X)
print(f"Shape: {X.shape}")
print("\nX transposed (2 features x 3 students):")
print(M.transpose(X))
print(f"Shape: {M.transpose(X).shape}")
XTX = M.matmul(M.transpose(X), X)
print("\nX^T @ X:")
print(XTX)
A = array([[4, 7], [2, 6]])
A_inv = M.linalg.inv(A)
print("\nMatrix A:")
print(A)
print("A inverse:")
print(np.round(A_inv, 4))
identity = A @ A_inv
print("\nA @ A_inv (should be identity):")
print(np.round(identity, 10))
print(A_inv.tolist() == np.linalg.inv(A).tolist())

cov_matrix = array([[4, 2], [2, 3]])
print("Covariance matrix:")
print(cov_matrix)
eigenvalues, eigenvectors = M.linalg.eig(cov_matrix)
eigenvalues, eigenvectors = eigenvalues.real, eigenvectors.real  # xpmath's eig is always complex
print(f"\nEigenvalues: {eigenvalues.round(4)}")
print(f"Eigenvectors:\n{eigenvectors.round(4)}")
for i in range(len(eigenvalues)):
    v = eigenvectors[:, i]
    lam = eigenvalues[i]
    left = cov_matrix @ v
    right = lam * v
    print(f"\nEigenvector {i+1}: {v.round(4)}")
    print(f" A @ v = {left.round(4)}")
    print(f" lambda * v = {right.round(4)}")
    print(f" Equal? {np.allclose(left, right)}")
max_idx = np.argmax(eigenvalues)
print(f"\nPrincipal component (direction of most variance): {eigenvectors[:, max_idx].round(4)}")
print(f"Variance explained: {eigenvalues[max_idx]:.4f} out of {eigenvalues.sum():.4f} "
      f"({eigenvalues[max_idx]/eigenvalues.sum()*100:.1f}%)")


def f(x):
    return (x - 3) ** 2


def gradient(x):
    return 2 * (x - 3)


x = 10.0
learning_rate = 0.1
print(f"{'Step':<6}{'x':<12}{'f(x)':<12}{'gradient':<12}")
print("-" * 42)
for step in range(15):
    fx = f(x)
    grad = gradient(x)
    print(f"{step:<6}{x:<12.4f}{fx:<12.4f}{grad:<12.4f}")
    x = x - learning_rate * grad
print(f"\nFinal x: {x:.6f} (should be close to 3.0)")
print(f"Final f(x): {f(x):.8f} (should be close to 0.0)")

hours_studied = array([2, 3, 5, 4, 6, 7, 8, 3, 5, 9])
exam_scores = array([50, 55, 70, 62, 75, 80, 90, 58, 72, 95])
print("=== Hours Studied ===")
print(f"Mean: {M.mean(hours_studied):.1f}")
print(f"Median: {M.median(hours_studied):.1f}")
print(f"Variance: {M.var(hours_studied):.2f}")
print(f"Std Dev: {M.std(hours_studied):.2f}")
correlation = M.corrcoef(hours_studied, exam_scores)[0, 1]
print("\n=== Correlation ===")
print(f"Correlation (hours vs scores): {correlation:.4f}")
covariance = M.cov(hours_studied, exam_scores)[0, 1]
print(f"Covariance: {covariance:.2f}")
print("\n=== Correlation Matrix ===")
data = np.vstack([hours_studied, exam_scores])
corr_matrix = M.corrcoef(data)
print(f"Hours vs Hours: {corr_matrix[0, 0]:.4f}")
print(f"Hours vs Scores: {corr_matrix[0, 1]:.4f}")
print(f"Scores vs Scores: {corr_matrix[1, 1]:.4f}")
print(corr_matrix.tolist() == np.corrcoef(data).tolist())

M.random.seed(42)
mean = 70
std = 10
marks = M.random.normal(mean, std, 10000)
print(f"Generated {len(marks)} marks with mean={mean}, std={std}")
print(f"Actual mean: {M.mean(marks):.2f}")
print(f"Actual std: {M.std(marks):.2f}")
within_1_std = np.sum((marks >= mean - std) & (marks <= mean + std)) / len(marks) * 100
within_2_std = np.sum((marks >= mean - 2*std) & (marks <= mean + 2*std)) / len(marks) * 100
within_3_std = np.sum((marks >= mean - 3*std) & (marks <= mean + 3*std)) / len(marks) * 100
print("\n=== 68-95-99.7 Rule ===")
print(f"Within 1 std ({mean-std}-{mean+std}): {within_1_std:.1f}% (expected ~68%)")
print(f"Within 2 std ({mean-2*std}-{mean+2*std}): {within_2_std:.1f}% (expected ~95%)")
print(f"Within 3 std ({mean-3*std}-{mean+3*std}): {within_3_std:.1f}% (expected ~99.7%)")

A = array([[1, 2], [3, 4]])
B = array([[5, 6], [7, 8]])
print(A * B)
print(M.matmul(A, B))
print(M.dot(A, B))
salaries = array([30000, 35000, 32000, 28000, 1000000])
print(f"Mean salary: {M.mean(salaries):.0f}")
print(f"Median salary: {M.median(salaries):.0f}")
ice_cream = array([100, 200, 400, 500, 600, 300, 150])
drownings = array([10, 20, 45, 55, 60, 25, 12])
corr = M.corrcoef(ice_cream, drownings)[0, 1]
print(f"Correlation: {corr:.4f}")
print(type(corr).__module__, type(A_inv).__module__, type(marks).__module__)
