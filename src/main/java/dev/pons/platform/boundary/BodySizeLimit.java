package dev.pons.platform.boundary;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over a size with 413, whether announced by Content-Length or streamed
 * chunked. The limit differs per application: API calls are small, Meta batches are not.
 */
public abstract class BodySizeLimit implements ContainerRequestFilter {

    /** Thrown while reading a streamed body past the limit; the error mappers answer 413. */
    public static class TooLarge extends IOException {
        TooLarge(long limit) {
            super("request body larger than " + limit + " bytes");
        }
    }

    private final long limit;

    protected BodySizeLimit(long limit) {
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (request.getLength() > limit) {
            throw new TooLarge(limit);
        }
        request.setEntityStream(new Capped(request.getEntityStream(), limit));
    }

    @Provider
    @PreMatching
    public static class ApiBodies extends BodySizeLimit {
        public ApiBodies() {
            super(1024 * 1024);
        }
    }

    @Provider
    @PreMatching
    public static class MetaBodies extends BodySizeLimit {
        public MetaBodies() {
            super(3 * 1024 * 1024);
        }
    }

    private static final class Capped extends FilterInputStream {
        private final long limit;
        private long read;

        Capped(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > limit) {
                throw new TooLarge(limit);
            }
        }
    }
}
