/** Who calls: the credentials of a request, and the owners of namespaces that web actions run for. */
package dev.wisp.controller.api.auth;
