package dev.platoon.core.device;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The teardown of something built in steps: each step that made something adds how to undo it, and
 * {@link #close} undoes them in reverse, once. A failure half-way and an orderly stop run the same list,
 * so there is one teardown and it undoes exactly what was made.
 */
final class Closers implements AutoCloseable {
    private final String name;
    private final Deque<Step> steps = new ArrayDeque<>();

    private record Step(String what, Runnable undo) {
    }

    Closers(String name) {
        this.name = name;
    }

    /** Adds the undoing of {@code what}, to run before everything added earlier. */
    synchronized void add(String what, Runnable undo) {
        steps.push(new Step(what, undo));
    }

    /** Undoes every step, newest first; one that fails is logged in one line and the rest still run. */
    @Override
    public void close() {
        for (Step s = next(); s != null; s = next()) {
            try {
                s.undo().run();
            } catch (RuntimeException e) {
                Device.LOG.warning(name + ": undoing " + s.what() + ": " + Device.oneLine(e));
            }
        }
    }

    private synchronized Step next() {
        return steps.poll();
    }
}
