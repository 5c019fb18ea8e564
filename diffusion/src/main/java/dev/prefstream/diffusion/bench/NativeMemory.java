package dev.prefstream.diffusion.bench;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Structure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Process memory readings for the benchmark: resident set size, and glibc's own account of the
 * native heap ({@code mallinfo2}), which separates memory libtorch still holds from memory it has
 * freed but the allocator keeps mapped. A leak grows the first; allocator retention grows only
 * the resident size.
 */
final class NativeMemory {
  /** glibc variables that change how freed memory goes back to the system. */
  static final List<String> MALLOC_VARIABLES = List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_",
      "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES", "LD_PRELOAD");

  private NativeMemory() {}

  /** Bytes the allocator has handed out and not got back, and bytes it holds free; -1 where unknown. */
  record Malloc(long inUseKb, long freeHeldKb) {
    static final Malloc UNKNOWN = new Malloc(-1, -1);
  }

  /** Resident set size of this process in kB, from /proc/self/status (0 where there is none). */
  static long residentKb() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return 0;
    }
    try {
      return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** glibc's mallinfo2 over all arenas, or {@link Malloc#UNKNOWN} without glibc 2.33+. */
  static Malloc malloc() {
    try {
      Function function = NativeLibrary.getInstance("c").getFunction("mallinfo2");
      MallInfo2 info = (MallInfo2) function.invoke(MallInfo2.class, new Object[0]);
      return new Malloc((info.uordblks + info.hblkhd) / 1024, info.fordblks / 1024);
    } catch (RuntimeException | LinkageError e) {
      return Malloc.UNKNOWN;
    }
  }

  /** The allocator settings in this process's environment, e.g. {@code MALLOC_ARENA_MAX=2}, or "glibc defaults". */
  static String allocatorEnvironment() {
    Map<String, String> env = System.getenv();
    StringJoiner set = new StringJoiner(" ");
    for (String name : MALLOC_VARIABLES) {
      if (env.containsKey(name)) {
        set.add(name + "=" + env.get(name));
      }
    }
    return set.length() == 0 ? "glibc defaults" : set.toString();
  }

  /** User plus system CPU time of this process in ms, all threads (0 where /proc is missing). */
  static long cpuMillis() {
    Path stat = Path.of("/proc/self/stat");
    if (!Files.isReadable(stat)) {
      return 0;
    }
    try {
      String text = Files.readString(stat);
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      // after the command: state is field 3, utime 14 and stime 15 (1-based), in clock ticks
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One-minute load average, NaN where unknown. */
  static double loadAverage() {
    Path loadavg = Path.of("/proc/loadavg");
    try {
      return Files.isReadable(loadavg)
          ? Double.parseDouble(Files.readString(loadavg).split(" ")[0]) : Double.NaN;
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** glibc's {@code struct mallinfo2}: ten size_t fields. */
  @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
      "uordblks", "fordblks", "keepcost"})
  public static final class MallInfo2 extends Structure implements Structure.ByValue {
    public long arena;
    public long ordblks;
    public long smblks;
    public long hblks;
    public long hblkhd;
    public long usmblks;
    public long fsmblks;
    public long uordblks;
    public long fordblks;
    public long keepcost;
  }
}
