package io.asyncrpc.reliability.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The devices' network, as a TCP proxy between them and the broker that can add delay, lose
 * segments (TCP turns a lost segment into a retransmission delay, so this delays a share of the
 * chunks by a retransmission timeout), stall all traffic (a partition the connections survive) or
 * cut every connection and refuse new ones (a partition they do not), then heal.
 *
 * <p>Kernel-level impairment ({@code tc netem}) is not available on every machine; a proxy is.
 */
public final class NetworkProxy implements AutoCloseable {

  private static final long RETRANSMISSION_MILLIS = 300;

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile long delayMillis;
  private volatile double loss;
  private volatile boolean stalled;
  private volatile boolean refusing;

  public NetworkProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    try {
      this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofPlatform().daemon().name("network-proxy").start(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Adds {@code millis} to every chunk each way. */
  public void delay(long millis) {
    delayMillis = millis;
  }

  /** Loses this share of the chunks (each retransmitted after a timeout). */
  public void loss(double share) {
    loss = share;
  }

  /** Stops forwarding anything; the connections stay open. */
  public void stall() {
    stalled = true;
  }

  /** Closes every connection and refuses new ones. */
  public void cut() {
    refusing = true;
    sockets.forEach(NetworkProxy::closeQuietly);
  }

  /** Back to a healthy network. */
  public synchronized void heal() {
    delayMillis = 0;
    loss = 0;
    refusing = false;
    stalled = false;
    notifyAll();
  }

  @Override
  public void close() {
    closeQuietly(server);
    sockets.forEach(NetworkProxy::closeQuietly);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket device = server.accept();
        if (refusing) {
          closeQuietly(device);
          continue;
        }
        Socket broker = new Socket(targetHost, targetPort);
        device.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        sockets.add(device);
        sockets.add(broker);
        Thread.ofVirtual().start(() -> pump(device, broker));
        Thread.ofVirtual().start(() -> pump(broker, device));
      } catch (IOException e) {
        // a refused broker connection or a closed server: the device sees its connection fail
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        impair();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed: close the other
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private void impair() throws InterruptedException {
    synchronized (this) {
      while (stalled) {
        wait();
      }
    }
    long pause = delayMillis;
    if (loss > 0 && ThreadLocalRandom.current().nextDouble() < loss) {
      pause += RETRANSMISSION_MILLIS;
    }
    if (pause > 0) {
      Thread.sleep(pause);
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
