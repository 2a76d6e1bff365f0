package org.survival4j.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs training while another thread reads the model in a loop (e.g. {@code momentum.infer}),
 * for tests that training comes out bit for bit as undisturbed. The reader starts before the
 * training and stops after it; an error it met is rethrown, and {@link #reads()} says how often it
 * read, so that a test can check the reader really ran alongside.
 *
 * <pre>{@code
 * long reads = ConcurrentReader.during(() -> net.fit(data), () -> momentum.infer(x)).reads();
 * }</pre>
 */
public final class ConcurrentReader {
    private final long reads;

    private ConcurrentReader(long reads) {
        this.reads = reads;
    }

    /** How many reads completed while the training ran (the first one started before it). */
    public long reads() {
        return reads;
    }

    /**
     * Runs {@code training} on this thread while a second thread runs {@code read} again and again.
     *
     * @throws AssertionError wrapping the reader's error, if it failed
     */
    public static ConcurrentReader during(Runnable training, Runnable read) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch firstRead = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                do {
                    read.run();
                    count.incrementAndGet();
                    firstRead.countDown();
                } while (!stop.get());
            } catch (Throwable e) {
                failure.set(e);
                firstRead.countDown();
            }
        }, "concurrent reader");
        reader.setDaemon(true);
        reader.start();
        firstRead.await(); // so that the reader's first, slowest call overlaps the training too
        long before = count.get();
        try {
            training.run();
        } finally {
            stop.set(true);
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("the concurrent reader failed: " + failure.get(), failure.get());
        }
        return new ConcurrentReader(count.get() - before);
    }
}
