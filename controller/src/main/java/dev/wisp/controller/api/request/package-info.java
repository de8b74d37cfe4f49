/**
 * What a request carries, checked with messages a user can act on: the caller and transaction id
 * ({@link dev.wisp.controller.api.request.ApiContext}), an action's path, the paging parameters, a JSON body, and
 * the fields of a {@code PUT} ({@link dev.wisp.controller.api.request.EntityFields} for every kind,
 * {@link dev.wisp.controller.api.request.ActionRequest} for an action's own).
 */
package dev.wisp.controller.api.request;
