package dev.prefstream.sim.world;

import java.util.Locale;

/**
 * The shapes of the prompt grammar. Each is defined by an inside test in its own frame: {@code (u, v)}
 * in units of the object's radius, origin at the shape's centroid, v pointing down. Every shape spans
 * about two radii, so "small" and "large" mean the same for all of them.
 */
public enum Shape {
  CIRCLE {
    @Override
    public boolean contains(double u, double v) {
      return u * u + v * v <= 1.0;
    }
  },
  SQUARE {
    @Override
    public boolean contains(double u, double v) {
      return Math.abs(u) <= 0.85 && Math.abs(v) <= 0.85;
    }
  },
  /** Apex up; the base is at v = 0.6 and the apex at v = -1.2, so the centroid is the origin. */
  TRIANGLE {
    @Override
    public boolean contains(double u, double v) {
      return v <= 0.6 && v >= -1.2 && Math.abs(u) <= (v + 1.2) / 1.8;
    }
  },
  DIAMOND {
    @Override
    public boolean contains(double u, double v) {
      return Math.abs(u) + Math.abs(v) <= 1.15;
    }
  },
  /** A plus sign whose arms are two thirds of a radius wide. */
  CROSS {
    @Override
    public boolean contains(double u, double v) {
      double au = Math.abs(u);
      double av = Math.abs(v);
      return (au <= 1.0 && av <= 1.0 / 3) || (au <= 1.0 / 3 && av <= 1.0);
    }
  };

  /** Whether the point {@code (u, v)} of the shape's frame (radius units, centroid origin) is inside. */
  public abstract boolean contains(double u, double v);

  /** The word used in prompts, e.g. {@code "circle"}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The shape whose word is {@code word}; {@link IllegalArgumentException} if none. */
  public static Shape fromWord(String word) {
    for (Shape s : values()) {
      if (s.word().equals(word)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown shape: " + word);
  }

  /** The shape's area in squared radius units (a circle's is pi). */
  double area() {
    return Geometry.OF[ordinal()].area;
  }

  /** The shape's {@link ShapeSignature}, taken on a fine sampling grid of its inside test. */
  double[] signature() {
    return Geometry.OF[ordinal()].signature.clone();
  }

  /** Area and signature of every shape, measured once on a fine sampling grid of the inside test. */
  private record Geometry(double area, double[] signature) {
    private static final int SAMPLES = 600;
    private static final double EXTENT = 1.5;
    private static final Geometry[] OF = measureAll();

    private static Geometry[] measureAll() {
      Shape[] shapes = values();
      Geometry[] out = new Geometry[shapes.length];
      for (int i = 0; i < shapes.length; i++) {
        out[i] = measure(shapes[i]);
      }
      return out;
    }

    private static Geometry measure(Shape shape) {
      double step = 2 * EXTENT / SAMPLES;
      double[] inside = new double[SAMPLES * SAMPLES];
      int count = 0;
      for (int y = 0; y < SAMPLES; y++) {
        for (int x = 0; x < SAMPLES; x++) {
          if (shape.contains(-EXTENT + (x + 0.5) * step, -EXTENT + (y + 0.5) * step)) {
            inside[y * SAMPLES + x] = 1;
            count++;
          }
        }
      }
      return new Geometry(count * step * step, ShapeSignature.of(inside, SAMPLES, SAMPLES));
    }
  }
}
