package dev.wisp.gateway.console;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console: the static page, script and style under {@code /console/}, read from the classpath
 * ({@code console/} in this module's resources). The page itself calls the public {@code /api/v1} API (and the
 * operators' {@code /admin/fleet}) from the browser with the user's own credentials, so the gateway serves files
 * and nothing else here. Every answer carries a Content-Security-Policy that allows only this origin's own
 * scripts, styles and API (no inline script, no framing, no form posts elsewhere), and {@code Cache-Control:
 * no-cache}: the files have no versioned names, so browsers revalidate them ({@code Last-Modified}) on each load.
 */
public final class Console {
    /** Where the console lives; {@code /console} alone is redirected here. */
    public static final String PATH = "/console/";

    static final String POLICY = String.join("; ",
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
            "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'");

    private Console() {
    }

    /** Adds the console's routes; requests for files it does not have fall through to the router's 404. */
    public static void install(Router router) {
        StaticHandler files = StaticHandler.create("console").setIndexPage("index.html")
                .setDirectoryListing(false).setIncludeHidden(false).setCachingEnabled(true)
                .setDefaultContentEncoding("UTF-8");
        // a regular expression: a plain "/console" route would match "/console/" as well
        router.getWithRegex("/console").handler(ctx -> ctx.response().setStatusCode(301).putHeader("Location", PATH)
                .end());
        router.route(PATH + "*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(Console::secure).handler(files);
    }

    private static void secure(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer");
        // the static handler sets a long max-age when caching is on; revalidating on every load is what we want
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set("Cache-Control", "no-cache"));
        ctx.next();
    }
}
