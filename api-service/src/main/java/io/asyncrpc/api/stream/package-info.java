/**
 * Told, not polled: the event stream ({@code GET /api/v1/events}, SSE or JSON pages) and the notice
 * of finished tasks that waiting requests wait for, both fed by the one event feed.
 */
@NullMarked
package io.asyncrpc.api.stream;

import org.jspecify.annotations.NullMarked;
