/** HTTP concerns shared by the features: RFC 9457 problems, JSON strictness, paging, OpenAPI. */
package io.asyncrpc.api.web;
