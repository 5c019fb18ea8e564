package dev.prefstream.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies, blends, saves and loads parameter values in place, matched by name and shape. */
final class ParameterTransfer {
  private static final int MAGIC = 0x50534450; // "PSDP"
  private static final NDIndex ALL = new NDIndex("...");

  private ParameterTransfer() {}

  static void copy(ParameterList source, ParameterList target) {
    checkSameLayout(source, target);
    for (int i = 0; i < source.size(); i++) {
      target.valueAt(i).getArray().set(ALL, source.valueAt(i).getArray());
    }
  }

  static void blend(ParameterList source, ParameterList target, float alpha) {
    if (!(alpha >= 0f && alpha <= 1f)) {
      throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
    }
    checkSameLayout(source, target);
    for (int i = 0; i < source.size(); i++) {
      try (NDArray scaled = source.valueAt(i).getArray().mul(alpha)) {
        target.valueAt(i).getArray().muli(1f - alpha).addi(scaled);
      }
    }
  }

  static void save(ParameterList parameters, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(MAGIC);
    data.writeInt(parameters.size());
    for (Pair<String, Parameter> p : parameters) {
      byte[] encoded = p.getValue().getArray().encode();
      data.writeUTF(p.getKey());
      data.writeInt(encoded.length);
      data.write(encoded);
    }
    data.flush();
  }

  static void load(InputStream in, ParameterList parameters) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != MAGIC) {
      throw new IOException("not a prefstream parameter file");
    }
    int count = data.readInt();
    if (count != parameters.size()) {
      throw new IOException("expected " + parameters.size() + " parameters, found " + count);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      for (Pair<String, Parameter> p : parameters) {
        String name = data.readUTF();
        byte[] encoded = data.readNBytes(data.readInt());
        NDArray value = manager.decode(encoded);
        NDArray target = p.getValue().getArray();
        if (!name.equals(p.getKey()) || !value.getShape().equals(target.getShape())) {
          throw new IOException("parameter " + name + " " + value.getShape() + " does not match "
              + p.getKey() + " " + target.getShape());
        }
        target.set(ALL, value);
      }
    }
  }

  private static void checkSameLayout(ParameterList a, ParameterList b) {
    if (a.size() != b.size()) {
      throw new IllegalArgumentException("parameter counts differ: " + a.size() + " vs " + b.size());
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).getKey().equals(b.get(i).getKey())
          || !a.valueAt(i).getArray().getShape().equals(b.valueAt(i).getArray().getShape())) {
        throw new IllegalArgumentException("parameter layouts differ at " + a.get(i).getKey());
      }
    }
  }
}
