package io.asyncrpc.api.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which URLs webhooks may post to: http or https, with a host that resolves only to public
 * addresses, so a tenant cannot make the service call its own network (SSRF). Checked when an
 * endpoint is saved and again before every attempt, after DNS resolution, because a name may
 * resolve elsewhere later.
 */
final class TargetPolicy {

  /** Resolves a host name; a seam for tests. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  static final int MAX_URL_LENGTH = 2000;

  private final boolean allowPrivate;
  private final Resolver resolver;

  TargetPolicy(boolean allowPrivate, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  TargetPolicy(boolean allowPrivate) {
    this(allowPrivate, InetAddress::getAllByName);
  }

  /** Why {@code url} is refused, or empty when it may be posted to now. */
  Optional<String> problem(String url) {
    Optional<String> syntax = syntaxProblem(url);
    if (syntax.isPresent()) {
      return syntax;
    }
    String host = URI.create(url).getHost();
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.of("has a host that does not resolve: " + host);
    }
    for (InetAddress address : addresses) {
      Optional<String> refused = addressProblem(address);
      if (refused.isPresent()) {
        return Optional.of("has a host that resolves to " + refused.get());
      }
    }
    return Optional.empty();
  }

  /** Why {@code url} is no http(s) URL a webhook can use, or empty. */
  static Optional<String> syntaxProblem(String url) {
    if (url.length() > MAX_URL_LENGTH) {
      return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("must not contain user information");
    }
    if (uri.getRawFragment() != null) {
      return Optional.of("must not contain a fragment");
    }
    return Optional.empty();
  }

  /**
   * What kind of refused address this is, or empty when webhooks may post to it. The address itself
   * is not named: the answer goes to the tenant, and it would map names of the internal network.
   */
  Optional<String> addressProblem(InetAddress address) {
    InetAddress embedded = embeddedIpv4(address);
    if (embedded != null) {
      return addressProblem(embedded);
    }
    if (address.isAnyLocalAddress() || isThisNetwork(address)) {
      return Optional.of("an unspecified address");
    }
    if (address.isMulticastAddress() || isBroadcast(address)) {
      return Optional.of("a multicast or broadcast address");
    }
    if (allowPrivate) {
      return Optional.empty();
    }
    if (address.isLoopbackAddress()) {
      return Optional.of("a loopback address");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("a link-local address");
    }
    if (address.isSiteLocalAddress() || isUniqueLocal(address) || isSharedAddressSpace(address)) {
      return Optional.of("a private address");
    }
    return Optional.empty();
  }

  /**
   * An IPv4 address inside an IPv6 one (mapped {@code ::ffff:0:0/96}, NAT64 {@code 64:ff9b::/96}).
   */
  private static @Nullable InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return null;
    }
    byte[] b = address.getAddress();
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= b[i] == 0;
    }
    mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean nat64 =
        (b[0] & 0xff) == 0x00
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    if (!mapped && !nat64) {
      return null;
    }
    try {
      return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /** {@code fc00::/7}. */
  private static boolean isUniqueLocal(InetAddress address) {
    return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
  }

  /** {@code 100.64.0.0/10}, carrier-grade NAT (RFC 6598): not reachable from the internet. */
  private static boolean isSharedAddressSpace(InetAddress address) {
    byte[] b = address.getAddress();
    return address instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
  }

  /** {@code 0.0.0.0/8}: Linux connects {@code 0.x.x.x} to the local host. */
  private static boolean isThisNetwork(InetAddress address) {
    return address instanceof Inet4Address && address.getAddress()[0] == 0;
  }

  private static boolean isBroadcast(InetAddress address) {
    byte[] b = address.getAddress();
    return address instanceof Inet4Address && (b[0] & b[1] & b[2] & b[3] & 0xff) == 0xff;
  }
}
