package dev.scoville.console;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.PWA;
import com.vaadin.flow.theme.Theme;
import com.vaadin.flow.theme.lumo.Lumo;

/** Server push on, so incidents appear in every open console the moment they change. */
@Push
@Theme(themeClass = Lumo.class, variant = Lumo.DARK)
@PWA(name = "Scoville war room", shortName = "Scoville")
public class AppShell implements AppShellConfigurator {}
