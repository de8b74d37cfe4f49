package dev.wisp.runtime;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Behind {@code System.out} and {@code System.err}: bytes go to the calling activation's log capture, or to
 * the container's real stream when no activation is running.
 */
final class RoutedOutputStream extends OutputStream {
    private final String stream;
    private final OutputStream real;

    RoutedOutputStream(String stream, OutputStream real) {
        this.stream = stream;
        this.real = real;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Activation activation = Activation.current();
        if (activation == null) {
            synchronized (real) {
                real.write(b, off, len);
                real.flush();
            }
        } else {
            activation.capture().write(stream, b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (real) {
            real.flush();
        }
    }
}
