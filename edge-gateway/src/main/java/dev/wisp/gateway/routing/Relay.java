package dev.wisp.gateway.routing;

import dev.wisp.common.http.HttpErrors;
import dev.wisp.common.message.TransactionId;
import dev.wisp.gateway.defence.EdgeLimits;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request on its way from a client to a controller. Its body arrives under the edge's deadlines
 * ({@link EdgeLimits#bodyTimeout()}, {@link EdgeLimits#bodyIdleTimeout()}) and size limit, each failure answered
 * at once with the JSON error naming the limit, the client's connection closed; and the controller request is
 * reset the moment the client goes away or the body fails, so no controller connection waits on a client that
 * is not coming back. Used on the client connection's event loop only.
 */
final class Relay {
    private final Vertx vertx;
    private final HttpServerRequest in;
    private final EdgeLimits limits;
    private final long maxBytes;
    private final TransactionId tid;
    private final GatewayMetrics metrics;
    private final boolean hasBody;
    private long received;
    private long totalTimer = -1;
    private long idleTimer = -1;
    private boolean failed;
    private boolean bodyDone;
    private HttpClientRequest upstream;
    private boolean released = true;
    /** Called once, when the controller's part is over or the client's connection closed, whichever is first. */
    private Runnable onFinished;

    /** Takes over a paused request whose headers have passed the gateway's checks; starts its body's deadlines. */
    Relay(Vertx vertx, HttpServerRequest in, EdgeLimits limits, long maxBytes, TransactionId tid,
          GatewayMetrics metrics) {
        this.vertx = vertx;
        this.in = in;
        this.limits = limits;
        this.maxBytes = maxBytes;
        this.tid = tid;
        this.metrics = metrics;
        this.hasBody = announcesBody(in);
        in.response().closeHandler(v -> {
            stopTimers();
            reset();
            finished();
        });
        if (hasBody) {
            totalTimer = vertx.setTimer(limits.bodyTimeout().toMillis(), t -> {
                totalTimer = -1;
                refuse(408, "The request body did not arrive within " + EdgeLimits.show(limits.bodyTimeout())
                        + " (gateway.body.timeout).");
            });
            armIdle();
        }
    }

    /** Whether a request says a body follows its headers: a non-zero {@code Content-Length}, or chunks. */
    static boolean announcesBody(HttpServerRequest in) {
        String length = in.getHeader("Content-Length");
        return (length != null && !length.trim().equals("0")) || in.getHeader("Transfer-Encoding") != null;
    }

    /** The whole body, read at the edge; never completes when the body fails (that is answered already). */
    Future<Buffer> readAll() {
        Promise<Buffer> whole = Promise.promise();
        Buffer all = Buffer.buffer();
        read(all::appendBuffer, v -> whole.complete(all));
        return whole.future();
    }

    /** Sends the request to the controller: with a body read already, or streaming it from the client. */
    Future<HttpClientResponse> send(HttpClientRequest req, Buffer body) {
        upstream = req;
        req.exceptionHandler(e -> { }); // its failures reach the response future; a reset is not news
        released = false;
        metrics.inFlight(1);
        if (failed) {
            reset();
            return Future.failedFuture("the request failed at the edge");
        }
        if (body != null) {
            return req.send(body);
        }
        if (!hasBody) {
            return req.send();
        }
        if (in.getHeader("Content-Length") == null) {
            req.setChunked(true);
        }
        read(chunk -> {
            req.write(chunk);
            if (req.writeQueueFull()) {
                in.pause();
                req.drainHandler(v -> in.resume());
            }
        }, v -> req.end());
        return req.response();
    }

    /** Whether the client has sent its whole body. */
    boolean bodyDone() {
        return bodyDone || !hasBody;
    }

    /** The controller's part is over: its answer was relayed, or failed. */
    void release() {
        if (!released) {
            released = true;
            metrics.inFlight(-1);
            finished();
        }
    }

    /** Calls {@code then} once this exchange is over: the controller's part, or the client's connection. */
    void onFinished(Runnable then) {
        this.onFinished = then;
    }

    private void finished() {
        Runnable then = onFinished;
        onFinished = null;
        if (then != null) {
            then.run();
        }
    }

    private void read(Handler<Buffer> chunks, Handler<Void> end) {
        in.handler(chunk -> {
            if (failed) {
                return;
            }
            received += chunk.length();
            if (received > maxBytes) {
                refuse(413, "The request content exceeds the limit of " + maxBytes
                        + " bytes (gateway.max.body.bytes).");
                return;
            }
            armIdle();
            chunks.handle(chunk);
        });
        in.endHandler(v -> {
            stopTimers();
            bodyDone = true;
            if (!failed) {
                end.handle(null);
            }
        });
        in.resume();
    }

    private void armIdle() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        idleTimer = vertx.setTimer(limits.bodyIdleTimeout().toMillis(), t -> {
            idleTimer = -1;
            refuse(408, "The request body stalled: no byte arrived for "
                    + EdgeLimits.show(limits.bodyIdleTimeout()) + " (gateway.body.idle.timeout).");
        });
    }

    private void stopTimers() {
        if (totalTimer >= 0) {
            vertx.cancelTimer(totalTimer);
            totalTimer = -1;
        }
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    /** Ends the exchange for a body that broke a limit: the controller request is dropped, the client told. */
    private void refuse(int status, String message) {
        if (failed || bodyDone) {
            return;
        }
        failed = true;
        stopTimers();
        HttpServerResponse out = in.response();
        if (out.headWritten() || out.ended() || out.closed()) {
            in.connection().close();
        } else {
            // the rest of the body will not be read: the connection ends with this answer
            out.putHeader("Connection", "close");
            HttpErrors.answer(in, status, message, null);
        }
        reset(); // after the answer, so that the controller request's failure finds the client answered
    }

    /**
     * Closes the controller's connection of a request answered before its body ended (which then never will), and
     * releases it: a reset of a request whose answer came in full leaves its connection open and pooled.
     */
    void abandon() {
        if (upstream != null && !released) {
            upstream.connection().close();
            release();
        }
    }

    private void reset() {
        if (upstream != null && !released) {
            upstream.reset();
            release();
        }
    }
}
