package dev.prefstream.scorer.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prefstream.scorer.ScoringException;

/** Conversions between model outputs and Java arrays, and the vector maths of the scorers. */
final class Embeddings {
  private Embeddings() {}

  /** The first output of a module as rows of a (batch, dim) matrix. */
  static float[][] rows(NDList outputs, int batch) {
    NDArray out = outputs.head();
    Shape shape = out.getShape();
    if (shape.dimension() != 2 || shape.get(0) != batch) {
      throw new ScoringException("expected an output of shape (" + batch + ", dim), got " + shape);
    }
    int dim = (int) shape.get(1);
    float[] flat = out.toType(DataType.FLOAT32, false).toFloatArray();
    float[][] rows = new float[batch][dim];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(flat, i * dim, rows[i], 0, dim);
    }
    return rows;
  }

  /** A (rows, dim) float32 array on the manager's device. */
  static NDArray matrix(NDManager manager, float[][] rows) {
    int dim = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != dim) {
        throw new ScoringException("embeddings of different sizes in one batch");
      }
      System.arraycopy(rows[i], 0, flat, i * dim, dim);
    }
    return manager.create(flat, new Shape(rows.length, dim));
  }

  /** The vector scaled to unit length (unchanged if it is zero). */
  static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = v.clone();
    if (norm > 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (out[i] / norm);
      }
    }
    return out;
  }

  /** Cosine similarity; 0 when either vector is zero. */
  static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new ScoringException("image embedding has " + a.length + " dimensions, text embedding "
          + b.length);
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
  }
}
