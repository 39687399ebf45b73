package dev.platoon.tun;

/**
 * Reusable outcome of {@link GsoSplitter#split}: either {@link #count()} segments with their
 * lengths, or a {@link #dropReason()}. Allocated once per queue loop.
 */
public final class SplitResult {
    private final int[] lengths;
    private int count;
    private boolean inPlace;
    private DropReason dropReason;

    public SplitResult(int maxSegments) {
        this.lengths = new int[maxSegments];
    }

    /** Segments written; 0 when dropped. */
    public int count() { return count; }

    /** Length of segment {@code i} (IP packet, tap: Ethernet frame), without head/tailroom. */
    public int length(int i) { return lengths[i]; }

    /**
     * True when the frame was not a train (GSO_NONE): its single packet was left (checksum finished)
     * in the input buffer right after the virtio_net_hdr, and nothing was copied to the sink.
     */
    public boolean inPlace() { return inPlace; }

    /** Null unless the frame was dropped. */
    public DropReason dropReason() { return dropReason; }

    void reset() {
        count = 0;
        inPlace = false;
        dropReason = null;
    }

    void add(int length) { lengths[count++] = length; }

    void inPlace(int length) {
        inPlace = true;
        lengths[0] = length;
        count = 1;
    }

    boolean drop(DropReason reason) {
        count = 0;
        inPlace = false;
        dropReason = reason;
        return false;
    }

    int capacity() { return lengths.length; }
}
