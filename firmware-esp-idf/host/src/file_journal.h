/* The host's journal port: fixed-size slots in one file, each write fsync'ed before the result is sent. */
#ifndef ASYNCRPC_HOST_FILE_JOURNAL_H
#define ASYNCRPC_HOST_FILE_JOURNAL_H

#include "asyncrpc/port.h"

typedef struct {
  int fd; /* -1: journal kept in RAM only */
  asyncrpc_journal_entry_t memory[ASYNCRPC_JOURNAL_CAPACITY];
  unsigned char memory_used[ASYNCRPC_JOURNAL_CAPACITY];
} file_journal_t;

/** Opens (creating) path; NULL path keeps the journal in RAM. Returns 0 or -1. */
int file_journal_open(file_journal_t *journal, const char *path);
void file_journal_close(file_journal_t *journal);
int file_journal_read(file_journal_t *journal, size_t slot, asyncrpc_journal_entry_t *entry);
int file_journal_write(file_journal_t *journal, size_t slot, const asyncrpc_journal_entry_t *entry);

#endif
