"""A one-vs-rest logistic regression over the text's features, trained by full-batch Adam from the development set.

For each category c the confidence is σ(w_c · x + b_c), where x holds the lexicon's verdicts and the word stems
(features.py). The weights minimise the mean logistic loss plus λ/2 · |w|²: a fixed number of Adam steps from zero
weights over the whole set, so the same data always gives the same model (no seed to fix). Adam and not L-BFGS:
L-BFGS's vector operations go through the threaded BLAS, which on a busy two-core machine took 5 s instead of 0.6 s;
these steps are elementwise numpy and sparse products, well under a second.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

L2_PENALTY = 0.0003
STEPS = 150
LEARNING_RATE = 0.1
BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8  # Adam's usual moments (Kingma and Ba, 2015)


@dataclass(frozen=True)
class LinearModel:
    categories: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray  # (features, categories)
    bias: np.ndarray  # (categories,)

    def vector(self, values: dict[str, float]) -> np.ndarray:
        row = np.zeros(len(self.vocabulary))
        for name, value in values.items():
            column = self.vocabulary.get(name)
            if column is not None:
                row[column] = value
        return row

    def confidences(self, values: dict[str, float]) -> np.ndarray:
        return _sigmoid(self.vector(values) @ self.weights + self.bias)

    def contributions(self, values: dict[str, float], category_index: int) -> dict[str, float]:
        """What each feature of the text adds to a category's score: the evidence behind a suggestion."""
        return {
            name: value * float(self.weights[self.vocabulary[name], category_index])
            for name, value in values.items() if name in self.vocabulary
        }


def train(rows: list[dict[str, float]], labels: list[set[str]], categories: tuple[str, ...]) -> LinearModel:
    vocabulary = {name: index for index, name in enumerate(sorted({name for row in rows for name in row}))}
    cells = [(row_index, vocabulary[name], value) for row_index, row in enumerate(rows) for name, value in row.items()]
    row_indices, columns, values = zip(*cells) if cells else ((), (), ())
    features = sparse.csr_matrix((values, (row_indices, columns)), shape=(len(rows), len(vocabulary)))
    targets = np.array([[category in label for category in categories] for label in labels], dtype=float)
    parameters = np.zeros((len(vocabulary) + 1, len(categories)))
    first, second = np.zeros_like(parameters), np.zeros_like(parameters)
    for step in range(1, STEPS + 1):
        gradient = _gradient(features, targets, parameters)
        first = BETA1 * first + (1 - BETA1) * gradient
        second = BETA2 * second + (1 - BETA2) * gradient**2
        corrected_first = first / (1 - BETA1**step)
        corrected_second = second / (1 - BETA2**step)
        parameters -= LEARNING_RATE * corrected_first / (np.sqrt(corrected_second) + EPSILON)
    return LinearModel(categories, vocabulary, parameters[:-1], parameters[-1])


def _gradient(features: sparse.csr_matrix, targets: np.ndarray, parameters: np.ndarray) -> np.ndarray:
    """∂/∂(w, b) of the mean logistic loss plus λ/2 · |w|² (the bias is not penalised)."""
    error = (_sigmoid(features @ parameters[:-1] + parameters[-1]) - targets) / features.shape[0]
    return np.vstack([features.T @ error + L2_PENALTY * parameters[:-1], error.sum(axis=0)])


def _sigmoid(scores: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * scores))
