package io.asyncrpc.swarm.cli;

import io.asyncrpc.swarm.Swarm;
import io.asyncrpc.swarm.SwarmListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a swarm of simulated devices and shows a live table until interrupted or the duration ends.
 */
public final class SwarmCli {

  private SwarmCli() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(SwarmOptions.USAGE);
      return;
    }
    SwarmOptions options;
    try {
      options = SwarmOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(SwarmOptions.USAGE);
      System.exit(2);
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    try (Swarm swarm = new Swarm(options.settings(), SwarmListener.NONE)) {
      swarm.start();
      LiveTable table = new LiveTable(System.out, System.console() != null);
      long started = System.nanoTime();
      long last = started;
      Duration duration = options.duration();
      while (!stop.await(1, TimeUnit.SECONDS)) {
        long now = System.nanoTime();
        table.render(
            swarm.stats().snapshot(),
            swarm.stats().takeTaskToCommit(),
            swarm.stats().takeEventRoundTrip(),
            (now - last) / 1e9);
        last = now;
        if (duration != null && now - started >= duration.toNanos()) {
          break;
        }
      }
    }
  }
}
