package dev.wisp.controller.api;

import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.fleet.Fleet;
import dev.wisp.controller.zookeeper.FleetNodes;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operators' HTTP view of the fleet, the same as {@code ./wisp fleet}: {@code GET /admin/fleet} lists invokers
 * and controllers, {@code POST /admin/fleet/invokers/:id/drain} asks one invoker to drain. Callers present the
 * configured admin token as {@code Authorization: Bearer TOKEN}; without a configured token the routes answer 403.
 * ZooKeeper is read off the event loop.
 */
public final class FleetApi {
    private final Vertx vertx;
    private final FleetNodes nodes;
    private final byte[] token;

    private FleetApi(Vertx vertx, FleetNodes nodes, String token) {
        this.vertx = vertx;
        this.nodes = nodes;
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the admin routes to the controller's router (which owns the failure handler). */
    public static void install(Router router, Vertx vertx, FleetNodes nodes, String token) {
        FleetApi api = new FleetApi(vertx, nodes, token);
        router.route("/admin/*").order(-1).handler(api::authorize);
        router.get("/admin/fleet").order(-1).handler(api::list);
        router.post("/admin/fleet/invokers/:id/drain").order(-1).handler(api::drain);
    }

    private void authorize(RoutingContext ctx) {
        ctx.response().putHeader(ApiContext.REQUEST_ID_HEADER, ApiContext.tid(ctx).value());
        if (token == null) {
            ctx.fail(WispException.forbidden("The admin API is disabled: start the controller with"
                    + " --controller.admin.token=TOKEN (or WISP_CONTROLLER_ADMIN_TOKEN) to enable it."));
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(token, given)) {
            ctx.fail(WispException.unauthorized());
            return;
        }
        ctx.next();
    }

    private void list(RoutingContext ctx) {
        vertx.executeBlocking(() -> Fleet.read(nodes), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(WispException.unavailable("ZooKeeper did not answer: " + ar.cause().getMessage()));
            } else {
                ApiContext.json(ctx, 200, Json.mapper().valueToTree(ar.result()));
            }
        });
    }

    private void drain(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!id.matches("invoker\\d{1,9}")) {
            ctx.fail(WispException.badRequest("'" + ApiContext.shorten(id) + "' is not an invoker id (expected e.g."
                    + " invoker1)."));
            return;
        }
        vertx.executeBlocking(() -> {
            Fleet.InvokerView invoker = Fleet.read(nodes).invokers().stream().filter(i -> i.id().equals(id)).findFirst()
                    .orElseThrow(() -> WispException.notFound("There is no invoker " + id + "."));
            if (invoker.state().equals("offline")) {
                throw WispException.conflict(id + " is offline; there is nothing to drain.");
            }
            Fleet.drain(nodes, id);
            return invoker;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause() instanceof WispException e ? e
                        : WispException.unavailable("ZooKeeper did not answer: " + ar.cause().getMessage()));
            } else {
                ApiContext.json(ctx, 202, Json.object().put("invoker", id).put("name", ar.result().name())
                        .put("state", "draining").put("message", "It takes no new work, finishes what it has,"
                                + " then leaves the cluster."));
            }
        });
    }
}
