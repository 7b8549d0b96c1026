package dev.scoville.console;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;

/**
 * The console's own stylesheet and its chart library, loaded at run time from the jar (uPlot from
 * its webjar), so that the production build keeps Vaadin's pre-built frontend and needs no npm.
 */
public class ConsoleAssets implements VaadinServiceInitListener {
  static final String UPLOT = "context://webjars/uplot/1.6.30/dist/";

  @Override
  public void serviceInit(ServiceInitEvent event) {
    event.getSource().addUIInitListener(init -> {
      var page = init.getUI().getPage();
      page.addStyleSheet(UPLOT + "uPlot.min.css");
      page.addStyleSheet("context://scoville/console.css");
      page.addJavaScript(UPLOT + "uPlot.iife.min.js");
      page.addJavaScript("context://scoville/scoville-chart.js");
      ThemeToggle.apply(init.getUI());
    });
  }
}
