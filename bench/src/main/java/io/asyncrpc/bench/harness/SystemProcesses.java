package io.asyncrpc.bench.harness;

import io.asyncrpc.testsupport.BrokerManagement;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of the system under test, found for CPU accounting: the broker's node, the
 * PostgreSQL cluster (its postmaster with every child), the services the suite started, and the
 * load generator (this JVM, which does not count as the system).
 */
public final class SystemProcesses {

  public static final String BROKER = "broker";
  public static final String POSTGRESQL = "PostgreSQL";
  public static final String API = "api-service";
  public static final String CORE = "core-service";
  public static final String LOAD_GENERATOR = "load generator";

  private SystemProcesses() {}

  /**
   * The postmaster of the cluster behind {@code jdbcUrl}: the parent of this connection's backend.
   * It must run on this machine.
   */
  public static long postmaster(String jdbcUrl, String user, String password) throws SQLException {
    long backend;
    long postmaster;
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      backend = rs.getLong(1);
      // While the connection is open: its backend ends with it.
      postmaster = CpuMeter.parentOf(backend);
    }
    if (postmaster <= 0 || !CpuMeter.commandOf(postmaster).startsWith("postgres")) {
      throw new IllegalStateException(
          "PostgreSQL's postmaster not found from backend " + backend + ": is it on this machine?");
    }
    return postmaster;
  }

  /** The broker's node process, or an exception saying why it was not found. */
  public static long broker(BrokerManagement broker) throws IOException, InterruptedException {
    long pid = broker.pid();
    if (!CpuMeter.alive(pid)) {
      throw new IllegalStateException("the broker's process (" + pid + ") is not on this machine");
    }
    return pid;
  }

  /**
   * A meter over the broker, PostgreSQL, the services given, and this JVM as the load generator; a
   * process not found (pid -1, service null) is left out rather than read as 0.
   */
  public static CpuMeter meter(
      long brokerPid, long postmasterPid, ServiceProcess api, ServiceProcess core) {
    List<CpuMeter.Measured> processes = new ArrayList<>();
    if (brokerPid > 0) {
      processes.add(new CpuMeter.Measured(BROKER, brokerPid, true, true));
    }
    if (postmasterPid > 0) {
      processes.add(new CpuMeter.Measured(POSTGRESQL, postmasterPid, true, true));
    }
    if (api != null) {
      processes.add(new CpuMeter.Measured(API, api.pid(), true, true));
    }
    if (core != null) {
      processes.add(new CpuMeter.Measured(CORE, core.pid(), true, true));
    }
    // This JVM's own time only: the services and pgbench are its children.
    processes.add(loadGenerator());
    return new CpuMeter(processes);
  }

  /** This JVM, without its children. */
  public static CpuMeter.Measured loadGenerator() {
    return new CpuMeter.Measured(LOAD_GENERATOR, ProcessHandle.current().pid(), false, false);
  }
}
