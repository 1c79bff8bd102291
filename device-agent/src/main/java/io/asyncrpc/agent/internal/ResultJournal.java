package io.asyncrpc.agent.internal;

import io.asyncrpc.protocol.TaskIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The device's memory of finished tasks, so a re-delivered task is not run twice: task id, result,
 * and whether the core committed it.
 *
 * <p>Bounded: beyond the capacity the oldest committed entries are forgotten first. With a file it
 * survives restarts: one JSON line per event ({@code result} or {@code commit}), appended and
 * forced to disk before the result is sent, and compacted to the live entries when it grows to
 * several times the capacity. A torn last line (a crash mid-write) is skipped.
 *
 * <p>Not thread-safe: the agent uses it from its event thread only.
 */
final class ResultJournal implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ResultJournal.class.getName());

  private final int capacity;
  private final @Nullable Path file;
  private final Map<UUID, JournalEntry> entries = new LinkedHashMap<>();
  private @Nullable FileChannel channel;
  private int linesSinceCompaction;

  private ResultJournal(int capacity, @Nullable Path file) {
    this.capacity = capacity;
    this.file = file;
  }

  /** A journal kept in memory only. */
  static ResultJournal inMemory(int capacity) {
    return new ResultJournal(capacity, null);
  }

  /** A journal persisted in {@code file}, loading what an earlier run left there. */
  static ResultJournal open(Path file, int capacity) {
    ResultJournal journal = new ResultJournal(capacity, file);
    journal.load();
    journal.compact();
    return journal;
  }

  /** The entry of {@code taskId}, if the task is finished and still remembered. */
  Optional<JournalEntry> find(UUID taskId) {
    return Optional.ofNullable(entries.get(taskId));
  }

  /** Entries whose result the core has not committed yet, oldest first. */
  List<JournalEntry> pending() {
    return entries.values().stream().filter(entry -> !entry.committed()).toList();
  }

  /** Records a finished task's result (pending until committed); durable before it returns. */
  void recordResult(JournalEntry entry) {
    put(entry.asPending());
    append(resultLine(entry));
  }

  /** Marks a task's result as resent and pending again, when the core hands the task out again. */
  void reopen(UUID taskId) {
    JournalEntry entry = entries.get(taskId);
    if (entry != null && entry.committed()) {
      entries.put(taskId, entry.asPending());
      append(resultLine(entry));
    }
  }

  /**
   * Marks the result of {@code taskId} as committed (or refused for good); the entry stays for
   * de-duplication.
   *
   * @return whether the task was pending
   */
  boolean commit(UUID taskId) {
    JournalEntry entry = entries.get(taskId);
    if (entry == null || entry.committed()) {
      return false;
    }
    entries.put(taskId, entry.asCommitted());
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("event", "commit");
    line.put("task_id", taskId.toString());
    append(line);
    return true;
  }

  int size() {
    return entries.size();
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "could not close journal " + file, e);
      }
      channel = null;
    }
  }

  private void put(JournalEntry entry) {
    entries.remove(entry.taskId());
    entries.put(entry.taskId(), entry);
    evict();
  }

  private void evict() {
    if (entries.size() <= capacity) {
      return;
    }
    Iterator<JournalEntry> oldest = entries.values().iterator();
    while (entries.size() > capacity && oldest.hasNext()) {
      if (oldest.next().committed()) {
        oldest.remove();
      }
    }
    // Only pending results are left: forget the oldest rather than grow without bound.
    oldest = entries.values().iterator();
    while (entries.size() > capacity && oldest.hasNext()) {
      JournalEntry entry = oldest.next();
      LOG.log(Level.WARNING, "journal full, forgetting uncommitted result of " + entry.taskId());
      oldest.remove();
    }
  }

  private static ObjectNode resultLine(JournalEntry entry) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("event", "result");
    line.put("task_id", entry.taskId().toString());
    line.put("status_code", entry.statusCode());
    if (entry.externalId() != null) {
      line.put("ext_id", entry.externalId());
    }
    line.put("result", entry.result());
    return line;
  }

  private void load() {
    Path path = persistedFile();
    if (!Files.exists(path)) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read journal " + path, e);
    }
    for (String text : lines) {
      if (text.isBlank()) {
        continue;
      }
      JsonNode line = Json.parseOrNull(text);
      UUID taskId = line == null ? null : uuid(line.path("task_id").asString(""));
      if (line == null || taskId == null) {
        LOG.log(Level.WARNING, "skipping unreadable journal line in " + path);
        continue;
      }
      switch (line.path("event").asString("")) {
        case "result" ->
            put(
                new JournalEntry(
                    taskId,
                    line.path("status_code").asInt(500),
                    line.hasNonNull("ext_id") ? line.path("ext_id").asString() : null,
                    line.path("result").asString("{}"),
                    false));
        case "commit" -> {
          JournalEntry entry = entries.get(taskId);
          if (entry != null) {
            entries.put(taskId, entry.asCommitted());
          }
        }
        default -> LOG.log(Level.WARNING, "skipping unknown journal event in " + path);
      }
    }
  }

  /** Rewrites the file with the live entries only (write a copy, then move it over). */
  private void compact() {
    Path path = persistedFile();
    close();
    List<String> lines = new ArrayList<>();
    for (JournalEntry entry : entries.values()) {
      lines.add(Json.MAPPER.writeValueAsString(resultLine(entry)));
      if (entry.committed()) {
        ObjectNode commit = Json.MAPPER.createObjectNode();
        commit.put("event", "commit");
        commit.put("task_id", entry.taskId().toString());
        lines.add(Json.MAPPER.writeValueAsString(commit));
      }
    }
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path copy = path.resolveSibling(path.getFileName() + ".tmp");
      Files.write(copy, lines, StandardCharsets.UTF_8);
      try {
        Files.move(copy, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException atomicMoveNotSupported) {
        Files.move(copy, path, StandardCopyOption.REPLACE_EXISTING);
      }
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      linesSinceCompaction = 0;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write journal " + path, e);
    }
  }

  private void append(ObjectNode line) {
    if (file == null) {
      return;
    }
    FileChannel out = channel;
    if (out == null) {
      // A compaction that failed closed the file; the result still goes out, unprotected.
      LOG.log(Level.ERROR, "journal " + file + " is closed after a failed compaction");
      return;
    }
    byte[] bytes = (Json.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(false);
    } catch (IOException e) {
      // The result still goes out; only its protection against a restart is lost.
      LOG.log(Level.ERROR, "could not append to journal " + file, e);
    }
    if (++linesSinceCompaction > 4 * capacity) {
      compact();
    }
  }

  /** The file of a persisted journal: only such a journal is loaded and compacted. */
  private Path persistedFile() {
    return Objects.requireNonNull(file, "an in-memory journal has no file");
  }

  private static @Nullable UUID uuid(String text) {
    return TaskIds.fromText(text).orElse(null);
  }
}
