/**
 * The API's own HTTP rules on top of web-support's problems and JSON settings: paging, cursors,
 * request size, storable text and JSON.
 */
package io.asyncrpc.api.web;
