package io.asyncrpc.api.web;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing, newest first.
 *
 * @param items the items of this page
 * @param nextCursor pass it as {@code cursor} to get the next page; null on the last page
 * @param <T> the item view
 */
public record PageView<T>(List<T> items, @Nullable String nextCursor) {}
