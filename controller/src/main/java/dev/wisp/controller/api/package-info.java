/**
 * The controller's HTTP API: {@link dev.wisp.controller.api.RestApi} is the route table (OpenWhisk's REST API v1,
 * the info document, web actions, API routes), {@link dev.wisp.controller.api.ApiErrors} the one failure handler,
 * {@link dev.wisp.controller.api.FleetApi} the operators' routes. What the routes lead to lives in the packages
 * below: {@code request} (what a request carries, checked), {@code auth} (who calls), {@code resource} (the REST
 * collections) and {@code web} (web actions and API routes).
 */
package dev.wisp.controller.api;
