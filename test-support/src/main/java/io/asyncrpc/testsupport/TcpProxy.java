package io.asyncrpc.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A TCP forwarder on a loopback port in front of a real service, so a test can cut a service off
 * from one application (every connection through the proxy is closed and new ones are refused)
 * without touching the service others use, and then restore it on the same port.
 */
public final class TcpProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile @Nullable ServerSocket server;

  private TcpProxy(String targetHost, int targetPort, ServerSocket server) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = server;
    this.port = server.getLocalPort();
    acceptIn(server);
  }

  /** Starts forwarding a free loopback port to {@code targetHost:targetPort}. */
  public static TcpProxy to(String targetHost, int targetPort) {
    return new TcpProxy(targetHost, targetPort, bind(0));
  }

  /** The loopback port the proxy listens on; stays the same across {@link #cut()} and restore. */
  public int port() {
    return port;
  }

  /** Closes every forwarded connection and refuses new ones until {@link #restore()}. */
  public synchronized void cut() {
    closeQuietly(server);
    server = null;
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  /** Accepts connections again, on the same port. */
  public synchronized void restore() {
    if (server == null) {
      server = bind(port);
      acceptIn(server);
    }
  }

  @Override
  public void close() {
    cut();
  }

  private static ServerSocket bind(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on loopback port " + port, e);
    }
  }

  private void acceptIn(ServerSocket listening) {
    Thread.ofVirtual()
        .name("tcp-proxy-" + port)
        .start(
            () -> {
              while (!listening.isClosed()) {
                try {
                  forward(listening.accept());
                } catch (IOException e) {
                  return; // closed by cut()
                }
              }
            });
  }

  private void forward(Socket client) {
    Socket upstream;
    try {
      upstream = new Socket(targetHost, targetPort);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    sockets.add(client);
    sockets.add(upstream);
    pump(client, upstream);
    pump(upstream, client);
  }

  private void pump(Socket from, Socket to) {
    Thread.ofVirtual()
        .start(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed; close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            });
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // nothing to do
    }
  }
}
