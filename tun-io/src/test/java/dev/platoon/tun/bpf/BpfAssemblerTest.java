package dev.platoon.tun.bpf;

import static dev.platoon.tun.bpf.BpfAssembler.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BpfAssemblerTest {
    @Test
    void encodesLikeTheKernelHeaders() {
        byte[] code = new BpfAssembler()
                .movReg(R6, R1)          // bf 16 0000 00000000
                .ldAbs(B, 9)             // 30 00 0000 09000000
                .jeqImm(R0, 17, "udp")   // 15 00 0100 11000000 (skips one)
                .exit()                  // 95 00 0000 00000000
                .label("udp")
                .ldImm64(R1, 0x1122334455667788L) // 18 01 0000 88776655 / 00 00 0000 44332211
                .exit()
                .assemble();
        assertArrayEquals(HexFormat.of().parseHex(
                "bf16000000000000" + "3000000009000000" + "1500010011000000" + "9500000000000000"
                        + "1801000088776655" + "0000000044332211" + "9500000000000000"), code);
    }

    @Test
    void unknownLabelNamesTheInstruction() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BpfAssembler().ja("nowhere").assemble());
        assertTrue(e.getMessage().contains("instruction 0") && e.getMessage().contains("nowhere"), e.getMessage());
    }
}
