"""The web and API layer of Sigue el Dinero: selectors read (analytics and models), views and
the API (`cocrea.money.api`) show, `formatting` and `charts` draw, `sections`, `search`,
`opendata` and `catalogue` feed the other rooms' registries."""
