"""The bot's input models, found by walking every `inputs` module of bot/ (each feature's
`inputs`, `form_inputs`, and the shared `bot.slack.inputs` package)."""

import importlib
import inspect
import pkgutil

from pydantic import BaseModel

import bot


def input_models() -> list[type[BaseModel]]:
    models: list[type[BaseModel]] = []
    for module_info in pkgutil.walk_packages(bot.__path__, "bot."):
        name = module_info.name
        if not name.rsplit(".", 1)[-1].endswith("inputs") and ".inputs." not in name:
            continue
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseModel) and value.__module__ == module.__name__:
                models.append(value)
    return models
