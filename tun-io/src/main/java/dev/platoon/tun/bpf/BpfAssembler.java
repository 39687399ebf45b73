package dev.platoon.tun.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of an eBPF assembler for a socket-filter program over packet bytes: packet loads
 * ({@code LD_ABS}/{@code LD_IND}, which answer in host order and end the program with 0 when out
 * of bounds), 64-bit ALU, conditional jumps to named labels, {@code LD_IMM64} and exit. Each
 * instruction is {@code struct bpf_insn}: code, dst/src register nibbles, a 16-bit jump offset and
 * a 32-bit immediate, little-endian (the hosts platoon runs on).
 */
public final class BpfAssembler {
    public static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9;

    /** Load sizes for {@link #ldAbs} and {@link #ldInd}. */
    public static final int W = 0x00, H = 0x08, B = 0x10;

    // instruction classes and fields (linux/bpf_common.h, linux/bpf.h)
    private static final int LD = 0x00, ALU64 = 0x07, JMP = 0x05;
    private static final int ABS = 0x20, IND = 0x40, IMM = 0x00, DW = 0x18;
    private static final int K = 0x00, X = 0x08;
    private static final int ADD = 0x00, MUL = 0x20, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70, XOR = 0xa0,
            MOV = 0xb0;
    private static final int JA = 0x00, JEQ = 0x10, JNE = 0x50, EXIT = 0x90;

    private record Insn(int code, int dst, int src, int off, int imm, String target) {}

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** Marks the next instruction as {@code name}, a jump target. */
    public BpfAssembler label(String name) {
        if (labels.putIfAbsent(name, insns.size()) != null) {
            throw new IllegalArgumentException("label '" + name + "' defined twice");
        }
        return this;
    }

    public BpfAssembler movReg(int dst, int src) { return emit(ALU64 | MOV | X, dst, src, 0, 0); }
    public BpfAssembler movImm(int dst, int imm) { return emit(ALU64 | MOV | K, dst, 0, 0, imm); }
    public BpfAssembler addImm(int dst, int imm) { return emit(ALU64 | ADD | K, dst, 0, 0, imm); }
    public BpfAssembler andImm(int dst, int imm) { return emit(ALU64 | AND | K, dst, 0, 0, imm); }
    public BpfAssembler lshImm(int dst, int imm) { return emit(ALU64 | LSH | K, dst, 0, 0, imm); }
    public BpfAssembler rshImm(int dst, int imm) { return emit(ALU64 | RSH | K, dst, 0, 0, imm); }
    public BpfAssembler xorReg(int dst, int src) { return emit(ALU64 | XOR | X, dst, src, 0, 0); }
    public BpfAssembler orReg(int dst, int src) { return emit(ALU64 | OR | X, dst, src, 0, 0); }
    public BpfAssembler mulReg(int dst, int src) { return emit(ALU64 | MUL | X, dst, src, 0, 0); }

    /** {@code dst = value}: the one 16-byte instruction (its second half carries the high word). */
    public BpfAssembler ldImm64(int dst, long value) {
        emit(LD | DW | IMM, dst, 0, 0, (int) value);
        return emit(0, 0, 0, 0, (int) (value >>> 32));
    }

    /** {@code r0 = ntoh(*(size *)(packet + offset))}; needs the context in r6. */
    public BpfAssembler ldAbs(int size, int offset) { return emit(LD | ABS | size, 0, 0, 0, offset); }

    /** {@code r0 = ntoh(*(size *)(packet + src + offset))}; needs the context in r6. */
    public BpfAssembler ldInd(int size, int src, int offset) { return emit(LD | IND | size, 0, src, 0, offset); }

    public BpfAssembler jeqImm(int dst, int imm, String target) { return jump(JMP | JEQ | K, dst, imm, target); }
    public BpfAssembler jneImm(int dst, int imm, String target) { return jump(JMP | JNE | K, dst, imm, target); }
    public BpfAssembler ja(String target) { return jump(JMP | JA, 0, 0, target); }
    public BpfAssembler exit() { return emit(JMP | EXIT, 0, 0, 0, 0); }

    /** Instructions so far (an {@code LD_IMM64} counts two). */
    public int size() { return insns.size(); }

    /** The program as {@code struct bpf_insn[]}, jumps resolved; fails naming an unknown label. */
    public byte[] assemble() {
        ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            int off = in.off;
            if (in.target != null) {
                Integer at = labels.get(in.target);
                if (at == null) {
                    throw new IllegalArgumentException("jump at instruction " + i + " to unknown label '" + in.target + "'");
                }
                off = at - i - 1; // relative to the next instruction
                if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("jump at instruction " + i + " out of range");
                }
            }
            out.put((byte) in.code).put((byte) (in.dst | in.src << 4)).putShort((short) off).putInt(in.imm);
        }
        return out.array();
    }

    private BpfAssembler jump(int code, int dst, int imm, String target) {
        insns.add(new Insn(code, reg(dst), 0, 0, imm, target));
        return this;
    }

    private BpfAssembler emit(int code, int dst, int src, int off, int imm) {
        insns.add(new Insn(code, reg(dst), reg(src), off, imm, null));
        return this;
    }

    private static int reg(int r) {
        if (r < 0 || r > 10) {
            throw new IllegalArgumentException("no register r" + r);
        }
        return r;
    }
}
