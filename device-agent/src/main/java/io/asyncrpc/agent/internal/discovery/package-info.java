/** Finds the broker on the local network with mDNS/DNS-SD when no host is configured. */
@NullMarked
package io.asyncrpc.agent.internal.discovery;

import org.jspecify.annotations.NullMarked;
