package io.asyncrpc.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.testsupport.InfrastructureConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Confirmed rows leave the real outbox table, however many confirms arrive at once; others stay.
 */
@SpringBootTest
@Import(InfrastructureConfiguration.class)
class ConfirmedRowDeleterIT {

  @Autowired ConfirmedRowDeleter deleter;
  @Autowired JdbcClient jdbc;

  @Test
  void deletesEveryConfirmedRowAndNoOther() throws Exception {
    UUID aggregate = UUID.randomUUID();
    List<Long> ids =
        jdbc.sql(
                """
                INSERT INTO outbox (aggregate_id, event_type, routing_key, payload)
                SELECT :aggregate, 'it.confirmed-rows', 'it.confirmed-rows', '{}'::jsonb
                  FROM generate_series(1, 1300)
                RETURNING id
                """)
            .param("aggregate", aggregate)
            .query(Long.class)
            .list();
    List<Long> confirmed = ids.subList(0, 1200);
    List<Long> unconfirmed = ids.subList(1200, ids.size());

    try (ExecutorService confirms = Executors.newFixedThreadPool(8)) {
      IntStream.range(0, 8)
          .forEach(
              t ->
                  confirms.execute(
                      () -> {
                        for (int i = t; i < confirmed.size(); i += 8) {
                          deleter.delete(confirmed.get(i));
                        }
                      }));
    }

    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(rowsOf(aggregate)).containsExactlyElementsOf(unconfirmed));
    } finally {
      jdbc.sql("DELETE FROM outbox WHERE aggregate_id = :aggregate")
          .param("aggregate", aggregate)
          .update();
    }
  }

  private List<Long> rowsOf(UUID aggregate) {
    return jdbc.sql("SELECT id FROM outbox WHERE aggregate_id = :aggregate ORDER BY id")
        .param("aggregate", aggregate)
        .query(Long.class)
        .list();
  }
}
