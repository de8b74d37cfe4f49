/**
 * The REST collections under {@code /api/v1/namespaces/{ns}}: actions (and invoking them), packages, triggers
 * (and firing them), rules, activations, dead letters, limits, and the alarms feed. The entity collections share
 * one skeleton, {@link dev.wisp.controller.api.resource.EntityResource} (list, get, put, delete), on
 * {@link dev.wisp.controller.api.resource.ListResource} (list), and supply only what differs by kind.
 */
package dev.wisp.controller.api.resource;
