"""Data layer of africa-presence: load, validate and join the dataset; no Dash here.

A notebook user can use it alone::

    from geo import load_dataset, country_table
    ds = load_dataset()
    country_table(ds, 2019)
"""

from geo.dataset import Dataset, DatasetError, default_data_dir, load_dataset
from geo.timeline import agreements_in_year, country_table, installation_states

__all__ = [
    "Dataset",
    "DatasetError",
    "agreements_in_year",
    "country_table",
    "default_data_dir",
    "installation_states",
    "load_dataset",
]
