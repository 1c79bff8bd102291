package io.asyncrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import org.junit.jupiter.api.Test;

/**
 * A smoke run of the FIFO claim benchmark with tiny numbers, so the harness cannot rot. It checks
 * that the harness works and reports, never a speed.
 */
class FifoClaimBenchmarkIT {

  @Test
  void reportsEverySystemAfterEachClaimedEveryRowOnce() throws Exception {
    Endpoints endpoints = Infrastructure.endpoints();

    FifoClaimBenchmark.Report report =
        FifoClaimBenchmark.run(
            new FifoClaimBenchmark.Settings(
                endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword(), 300, 10, 4, 1));

    assertThat(report.measurements())
        .extracting(FifoClaimBenchmark.Measurement::system)
        .containsExactly("core FIFO claim", "db-scheduler claim", "db-scheduler claim, batch 10");
    assertThat(report.measurements()).allSatisfy(m -> assertThat(m.median()).isPositive());
    assertThat(FifoClaimBenchmark.text(report)).contains("ratio core / db-scheduler");
    assertThat(FifoClaimBenchmark.json(report)).contains("\"median_claims_per_second\"");
  }
}
