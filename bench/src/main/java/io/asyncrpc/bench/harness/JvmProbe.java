package io.asyncrpc.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Memory and threads of a service JVM from outside: resident set and OS threads from {@code
 * /proc/<pid>/status}, the heap after a full collection from {@code jcmd} of the benchmark's own
 * JDK (the services run on it), so a growth per connection is not lost in garbage not yet
 * collected.
 */
public final class JvmProbe {

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private JvmProbe() {}

  /**
   * One reading.
   *
   * @param residentBytes VmRSS
   * @param heapBytes heap used right after a full collection, or -1 when jcmd failed
   * @param threads OS threads (platform threads; virtual threads are not among them)
   */
  public record Reading(long residentBytes, long heapBytes, long threads) {}

  /** Collects the heap of {@code pid}, then reads it. */
  public static Reading read(long pid) {
    long heap = heapAfterGc(pid);
    return new Reading(status(pid, "VmRSS:") * 1024, heap, status(pid, "Threads:"));
  }

  /**
   * The first {@code classes} lines of {@code pid}'s class histogram (live objects: it collects
   * first), with its header, or null when jcmd failed.
   */
  public static @Nullable String classHistogram(long pid, int classes) {
    try {
      String[] lines = jcmd(pid, "GC.class_histogram").split("\n");
      StringBuilder top = new StringBuilder();
      for (int i = 1; i < lines.length && i <= classes + 2; i++) {
        top.append(lines[i].stripTrailing()).append('\n');
      }
      return top.toString();
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static long status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static long heapAfterGc(long pid) {
    try {
      jcmd(pid, "GC.run");
      // G1 prints one line "garbage-first heap total ..., used NK [...]": the first "used".
      Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
      return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }
}
