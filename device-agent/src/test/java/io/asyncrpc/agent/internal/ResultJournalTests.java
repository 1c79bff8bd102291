package io.asyncrpc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link ResultJournal}. */
class ResultJournalTests {

  @TempDir Path dir;

  @Test
  void remembersResultsAsPendingUntilCommitted() {
    ResultJournal journal = ResultJournal.inMemory(10);
    JournalEntry entry = entry();

    journal.recordResult(entry);

    assertThat(journal.find(entry.taskId())).contains(entry);
    assertThat(journal.pending()).containsExactly(entry);

    assertThat(journal.commit(entry.taskId())).isTrue();
    assertThat(journal.pending()).isEmpty();
    assertThat(journal.find(entry.taskId()))
        .hasValueSatisfying(e -> assertThat(e.committed()).isTrue());
    assertThat(journal.commit(entry.taskId())).as("second commit").isFalse();
  }

  @Test
  void forgetsOldestCommittedEntriesFirst() {
    ResultJournal journal = ResultJournal.inMemory(2);
    JournalEntry pending = entry();
    JournalEntry committed = entry();
    JournalEntry newest = entry();

    journal.recordResult(pending);
    journal.recordResult(committed);
    journal.commit(committed.taskId());
    journal.recordResult(newest);

    assertThat(journal.size()).isEqualTo(2);
    assertThat(journal.find(committed.taskId())).isEmpty();
    assertThat(journal.find(pending.taskId())).isPresent();
    assertThat(journal.find(newest.taskId())).isPresent();
  }

  @Test
  void survivesARestart() {
    Path file = dir.resolve("agent/journal.jsonl");
    JournalEntry committed = entry();
    JournalEntry pending =
        new JournalEntry(UUID.randomUUID(), 500, null, "{\"error\":\"x\"}", false);
    try (ResultJournal journal = ResultJournal.open(file, 10)) {
      journal.recordResult(committed);
      journal.recordResult(pending);
      journal.commit(committed.taskId());
    }

    try (ResultJournal reopened = ResultJournal.open(file, 10)) {
      assertThat(reopened.find(committed.taskId())).contains(committed.asCommitted());
      assertThat(reopened.pending()).containsExactly(pending);
    }
  }

  @Test
  void skipsATornLastLine() throws IOException {
    Path file = dir.resolve("journal.jsonl");
    JournalEntry entry = entry();
    try (ResultJournal journal = ResultJournal.open(file, 10)) {
      journal.recordResult(entry);
    }
    Files.writeString(
        file,
        "{\"event\":\"result\",\"task_id\":\"3f2b",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    try (ResultJournal reopened = ResultJournal.open(file, 10)) {
      assertThat(reopened.size()).isEqualTo(1);
      assertThat(reopened.find(entry.taskId())).contains(entry);
    }
  }

  @Test
  void compactsTheFileToTheLiveEntries() throws IOException {
    Path file = dir.resolve("journal.jsonl");
    JournalEntry last = null;
    try (ResultJournal journal = ResultJournal.open(file, 3)) {
      for (int i = 0; i < 50; i++) {
        last = entry();
        journal.recordResult(last);
        journal.commit(last.taskId());
      }
    }

    assertThat(Files.readAllLines(file)).hasSizeLessThanOrEqualTo(2 * 3 + 4 * 3 + 1);
    try (ResultJournal reopened = ResultJournal.open(file, 3)) {
      assertThat(reopened.size()).isEqualTo(3);
      assertThat(reopened.find(last.taskId())).isPresent();
      assertThat(Files.readAllLines(file)).hasSize(6);
    }
  }

  /**
   * Verifies that a failed compaction, which closed the file, leaves a journal that still works.
   */
  @Test
  void remembersResultsInMemoryAfterACompactionFailed() throws IOException {
    Path file = dir.resolve("journal.jsonl");
    try (ResultJournal journal = ResultJournal.open(file, 1)) {
      // The compaction's copy cannot be written where a directory stands.
      Files.createDirectory(dir.resolve("journal.jsonl.tmp"));
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 10; i++) {
                  journal.recordResult(entry());
                }
              })
          .isInstanceOf(UncheckedIOException.class);

      JournalEntry after = entry();
      journal.recordResult(after);

      assertThat(journal.find(after.taskId())).isPresent();
    }
  }

  @Test
  void keepsExternalIdsAndUnicodeResults() {

    Path file = dir.resolve("journal.jsonl");
    JournalEntry entry =
        new JournalEntry(
            UUID.randomUUID(), 200, "order-42", "{\"text\":\"Grüße\\n\\\"x\\\"\"}", false);
    try (ResultJournal journal = ResultJournal.open(file, 10)) {
      journal.recordResult(entry);
    }

    try (ResultJournal reopened = ResultJournal.open(file, 10)) {
      assertThat(reopened.find(entry.taskId())).contains(entry);
    }
  }

  private static JournalEntry entry() {
    return new JournalEntry(UUID.randomUUID(), 200, null, "{\"ok\":true}", false);
  }
}
