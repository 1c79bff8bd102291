#include "file_journal.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* A slot on disk: a marker, then the entry. A torn write leaves a wrong marker or length and the
 * slot reads as empty, which at worst lets one task run again. */
#define SLOT_MAGIC 0x41525043u /* "ARPC" */

typedef struct {
  uint32_t magic;
  uint32_t size;
  asyncrpc_journal_entry_t entry;
} slot_t;

int file_journal_open(file_journal_t *journal, const char *path) {
  memset(journal, 0, sizeof(*journal));
  journal->fd = -1;
  if (path == NULL) {
    return 0;
  }
  journal->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  return journal->fd < 0 ? -1 : 0;
}

void file_journal_close(file_journal_t *journal) {
  if (journal->fd >= 0) {
    close(journal->fd);
    journal->fd = -1;
  }
}

int file_journal_read(file_journal_t *journal, size_t slot, asyncrpc_journal_entry_t *entry) {
  if (slot >= ASYNCRPC_JOURNAL_CAPACITY) {
    return -1;
  }
  if (journal->fd < 0) {
    if (!journal->memory_used[slot]) {
      return -1;
    }
    *entry = journal->memory[slot];
    return 0;
  }
  slot_t record;
  ssize_t n = pread(journal->fd, &record, sizeof(record), (off_t)(slot * sizeof(record)));
  if (n != (ssize_t)sizeof(record) || record.magic != SLOT_MAGIC || record.size != sizeof(record.entry)) {
    return -1;
  }
  *entry = record.entry;
  return 0;
}

int file_journal_write(file_journal_t *journal, size_t slot, const asyncrpc_journal_entry_t *entry) {
  if (slot >= ASYNCRPC_JOURNAL_CAPACITY) {
    return -1;
  }
  if (journal->fd < 0) {
    journal->memory[slot] = *entry;
    journal->memory_used[slot] = 1;
    return 0;
  }
  static slot_t record;
  memset(&record, 0, sizeof(record));
  record.magic = SLOT_MAGIC;
  record.size = sizeof(record.entry);
  record.entry = *entry;
  ssize_t n = pwrite(journal->fd, &record, sizeof(record), (off_t)(slot * sizeof(record)));
  if (n != (ssize_t)sizeof(record) || fdatasync(journal->fd) != 0) {
    return -1;
  }
  return 0;
}
