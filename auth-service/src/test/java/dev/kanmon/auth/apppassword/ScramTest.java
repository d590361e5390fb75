package dev.kanmon.auth.apppassword;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RFC 7677 §3 test vector (user "user", password "pencil") and the seed's CRAM-MD5 vector. */
class ScramTest {

    private static final String AUTH_MESSAGE = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
            + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
            + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    @Test
    void rfc7677Vector() {
        Scram.Verifier verifier = Scram.verifier("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        byte[] proof = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        byte[] serverSignature = Scram.verifyProof(verifier, AUTH_MESSAGE, proof);
        assertThat(Base64.getEncoder().encodeToString(serverSignature))
                .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void wrongProofIsRejected() {
        Scram.Verifier verifier = Scram.verifier("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        byte[] proof = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        proof[0] ^= 1;
        assertThat(Scram.verifyProof(verifier, AUTH_MESSAGE, proof)).isNull();
        assertThat(Scram.verifyProof(verifier, AUTH_MESSAGE, new byte[3])).isNull();
    }

    @Test
    void cramMd5SeedVector() {
        assertThat("sengoku " + CramMd5.digest("secret phrase".getBytes(), "<4874.1007276777@asao.gcd.org>"))
                .isEqualTo("sengoku 562eaeacde6c4233d63c66b1d268f586");
    }

    @Test
    void appPasswordsAreEightyBitGroups() {
        assertThat(AppPasswords.newSecret()).matches("[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}");
    }
}
