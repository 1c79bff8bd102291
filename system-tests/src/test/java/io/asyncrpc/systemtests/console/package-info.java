/**
 * The web console in a real browser: its Playwright tests (console/test) driving Debian's chromium
 * against the packaged services behind the edge, with real devices.
 */
package io.asyncrpc.systemtests.console;
