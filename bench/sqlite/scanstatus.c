/*
 * Rows SQLite really reads per statement, from its own counters (sqlite3_stmt_scanstatus), which the
 * sqlite3 build Node loads does not expose. Built by bench/sqlite/scan-counter.ts from the SQLite source
 * node-sqlite3 ships (same version, so the same planner), with SQLITE_ENABLE_STMT_SCANSTATUS.
 *
 * Usage: scanstatus <database file>. Reads requests from stdin, one per statement:
 *   the SQL on one line; the number of bound values on the next; then one line per value:
 *   "n" (null), "i <integer>", "r <real>" or "t <hex of the UTF-8 text>".
 * Runs each statement to completion and answers one line: "ok" then, tab-separated, each loop's
 * "<rows visited>|<plan detail>"; or "error <message>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"

static char *read_line(FILE *in) {
  size_t size = 256, len = 0;
  char *buf = malloc(size);
  int c;
  while ((c = fgetc(in)) != EOF && c != '\n') {
    if (len + 1 >= size) buf = realloc(buf, size *= 2);
    buf[len++] = (char)c;
  }
  if (c == EOF && len == 0) { free(buf); return NULL; }
  buf[len] = 0;
  return buf;
}

static int hex(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

static int bind(sqlite3_stmt *stmt, int index, const char *value) {
  if (value[0] == 'n') return sqlite3_bind_null(stmt, index);
  if (value[0] == 'i') return sqlite3_bind_int64(stmt, index, strtoll(value + 2, NULL, 10));
  if (value[0] == 'r') return sqlite3_bind_double(stmt, index, strtod(value + 2, NULL));
  size_t n = strlen(value + 2) / 2;
  char *text = malloc(n + 1);
  for (size_t i = 0; i < n; i++) text[i] = (char)(hex(value[2 + 2 * i]) * 16 + hex(value[3 + 2 * i]));
  return sqlite3_bind_text(stmt, index, text, (int)n, free);
}

int main(int argc, char **argv) {
  sqlite3 *db;
  if (argc != 2 || sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    fprintf(stderr, "usage: scanstatus <database file>\n");
    return 2;
  }
  char *sql;
  while ((sql = read_line(stdin)) != NULL) {
    char *count = read_line(stdin);
    int values = count ? atoi(count) : 0;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    for (int i = 1; i <= values; i++) {
      char *value = read_line(stdin);
      if (rc == SQLITE_OK && value) rc = bind(stmt, i, value);
      free(value);
    }
    if (rc == SQLITE_OK) {
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {}
      if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
      printf("error %s\n", sqlite3_errmsg(db));
    } else {
      printf("ok");
      for (int idx = 0;; idx++) {
        sqlite3_int64 visited = 0;
        const char *detail = NULL;
        if (sqlite3_stmt_scanstatus(stmt, idx, SQLITE_SCANSTAT_NVISIT, &visited)) break;
        sqlite3_stmt_scanstatus(stmt, idx, SQLITE_SCANSTAT_EXPLAIN, &detail);
        printf("\t%lld|%s", (long long)visited, detail ? detail : "");
      }
      printf("\n");
    }
    fflush(stdout);
    sqlite3_finalize(stmt);
    free(sql);
    free(count);
  }
  sqlite3_close(db);
  return 0;
}
