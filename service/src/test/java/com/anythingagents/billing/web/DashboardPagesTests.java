package com.anythingagents.billing.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.HttpProbe.Response;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The dashboard's files and the uPlot WebJar it loads are served by the service, without a token. */
@BillingServiceTest
class DashboardPagesTests {

    @LocalServerPort
    int port;

    @Test
    void dashboardPageAndItsModulesNeedNoToken() {
        HttpProbe http = new HttpProbe(port);

        Response page = http.get("/");
        Response app = http.get("/dashboard/app.js");
        Response chart = http.get("/webjars/uplot/dist/uPlot.esm.js");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/dashboard/app.js\">");
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.body()).contains("import");
        assertThat(chart.status()).isEqualTo(200);
        assertThat(chart.body()).contains("export { uPlot as default }");
    }

    @Test
    void apiStillNeedsATokenBesideTheOpenPages() {
        Response response = new HttpProbe(port).get("/api/v1/billing/subscription");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("error").asString()).isEqualTo("unauthorized");
    }
}
