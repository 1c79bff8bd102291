/**
 * Control-center clients: their credentials (secrets stored hashed), the bootstrap admin client
 * made at start-up, and the admin API that creates clients.
 */
@NullMarked
package io.asyncrpc.ca.client;

import org.jspecify.annotations.NullMarked;
