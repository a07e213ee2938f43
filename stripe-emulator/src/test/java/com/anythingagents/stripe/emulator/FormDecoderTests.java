package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.stripe.emulator.http.FormDecoder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class FormDecoderTests {

    @Test
    void decodesNestedBracketsIndexedListsAndAppendedArrays() {
        ObjectNode params = FormDecoder.decode(
                "metadata%5Btenant_id%5D=acme&items%5B0%5D%5Bprice%5D=price_1&items%5B0%5D%5Bquantity%5D=2"
                        + "&items%5B1%5D%5Bprice%5D=price_2&expand%5B%5D=latest_invoice&expand%5B%5D=customer&email=a%40b.c");

        assertThat(params.get("metadata").get("tenant_id").asString()).isEqualTo("acme");
        assertThat(params.get("items").isArray()).isTrue();
        assertThat(params.get("items").get(0).get("price").asString()).isEqualTo("price_1");
        assertThat(params.get("items").get(0).get("quantity").asString()).isEqualTo("2");
        assertThat(params.get("items").get(1).get("price").asString()).isEqualTo("price_2");
        assertThat(params.get("expand").get(1).asString()).isEqualTo("customer");
        assertThat(params.get("email").asString()).isEqualTo("a@b.c");
    }

    @Test
    void keepsBracketsInsideValuesUntouched() {
        ObjectNode params = FormDecoder.decode("query=metadata%5B%27tenant_id%27%5D%3A%27acme%27");

        assertThat(params.get("query").asString()).isEqualTo("metadata['tenant_id']:'acme'");
    }
}
