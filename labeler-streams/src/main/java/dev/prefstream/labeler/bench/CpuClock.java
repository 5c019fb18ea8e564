package dev.prefstream.labeler.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this process and by the whole machine (every process, the broker
 * included), in nanoseconds; the machine's is read from {@code /proc/stat} and is -1 where there is
 * none.
 */
record CpuClock(long processNanos, long machineNanos) {
  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux

  static CpuClock now() {
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new CpuClock(os.getProcessCpuTime(), machine());
  }

  /** Milliseconds of CPU per 1000 records since {@code start}: this process, and the machine. */
  double[] millisPerThousand(CpuClock start, long records) {
    double scale = 1e-6 * 1000.0 / records;
    double machine = machineNanos < 0 || start.machineNanos < 0 ? Double.NaN : (machineNanos - start.machineNanos) * scale;
    return new double[] {(processNanos - start.processNanos) * scale, machine};
  }

  private static long machine() {
    try {
      // cpu  user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait
      String[] f = Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
