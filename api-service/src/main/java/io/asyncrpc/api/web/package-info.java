/**
 * The API's own HTTP rules on top of web-support's problems and JSON settings: paging, cursors,
 * request size, storable text and JSON.
 */
@NullMarked
package io.asyncrpc.api.web;

import org.jspecify.annotations.NullMarked;
