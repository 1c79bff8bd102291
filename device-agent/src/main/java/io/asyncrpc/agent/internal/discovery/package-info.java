/** Finds the broker on the local network with mDNS/DNS-SD when no host is configured. */
package io.asyncrpc.agent.internal.discovery;
