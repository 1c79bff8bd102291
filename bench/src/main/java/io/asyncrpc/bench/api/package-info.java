/**
 * The REST API alone, each against the database's own limit in the same run: task accepts and
 * status reads per second under a closed-loop load, and pgbench's one-row inserts and reads by key
 * on the same database with as many clients.
 */
@NullMarked
package io.asyncrpc.bench.api;

import org.jspecify.annotations.NullMarked;
