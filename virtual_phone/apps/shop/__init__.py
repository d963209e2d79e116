"""Shop (`com.example.shop`): a seeded catalogue, search with sort and filters, product
pages, a cart, checkout and orders."""

from .app import PACKAGE, ShopApp

__all__ = ["PACKAGE", "ShopApp"]
