/**
 * Web actions ({@code /api/v1/web/...}, answers shaped by the result and the extension) and API routes
 * ({@code /api/{namespace}/{basePath}/{path}}, managed through OpenWhisk's {@code apimgmt} operations).
 */
package dev.wisp.controller.api.web;
